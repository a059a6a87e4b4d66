from . import supply_notice
from . import portal
