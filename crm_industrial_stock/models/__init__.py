from . import crm_lot_quality_value
from . import stock_lot
from . import crm_lot_spec_override
from . import crm_lot_spec_override_wizard
from . import stock_move_line
from . import stock_picking
from . import crm_lot_spec_blocked_delivery
