from . import dates
from . import mail_failure
