from . import crm_buying_role
from . import crm_industrial_demo
from . import crm_lead
from . import res_config_settings
from . import res_partner
from . import res_partner_buying_center
from . import sale_order
