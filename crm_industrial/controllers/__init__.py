from . import supply_notice
