from odoo import api, models


# One file per feature that extends the figures (see res_partner_supply_notice.py).
# pylint: disable=consider-merging-classes-inherited
class CrmKeyAccountStat(models.Model):
    _inherit = "crm.key.account.stat"

    @api.model
    def _recompute(self, partners=None):
        """After the figures move, a customer with a recent financial-difficulty insight that starts to
        decline gives its account owner the guidance activity (once per insight)."""
        result = super()._recompute(partners)
        Insight = self.env["crm.customer.insight"]
        # sudo: the recompute runs for whoever started it; the activity goes to the account owner
        pending = Insight.sudo().search(
            Insight._difficulty_domain(partners, self.env.company) + [("difficulty_notified", "=", False)])
        pending._notify_financial_difficulty()
        return result
