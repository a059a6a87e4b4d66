from . import dates
