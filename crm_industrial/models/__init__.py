from . import crm_industrial_demo
from . import res_partner
from . import sale_order
