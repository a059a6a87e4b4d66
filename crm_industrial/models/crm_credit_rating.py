from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

CREDIT_CONTROLLERS = "crm_industrial.group_credit_controller"
# A is the best grade, E the worst: "at or below C" means C, D or E.
CREDIT_GRADES = [
    ("A", "A: excellent"),
    ("B", "B: good"),
    ("C", "C: acceptable"),
    ("D", "D: weak"),
    ("E", "E: poor"),
]
# Only this method may flip the current flag; everything else of a rating is written once.
CURRENT_FIELD = "is_current"


class CrmCreditRating(models.Model):
    """A documented credit decision on a customer: its grade, why, and when to look again.

    History is never edited: a correction is a new rating. The latest one (by date) of a
    customer and company is its current grade.
    """

    _name = "crm.credit.rating"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Customer Credit Rating"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "grade"

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="cascade", check_company=True,
        domain="[('parent_id', '=', False)]",
        help="The commercial entity: a rating given on a contact goes to its company.")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    grade = fields.Selection(CREDIT_GRADES, required=True,
                             help="A is the best grade, E the worst.")
    date = fields.Date(required=True, default=fields.Date.context_today,
                       help="When the grade was decided; not in the future.")
    author_id = fields.Many2one("res.users", "Rated By", readonly=True, default=lambda self: self.env.user,
                                help="The accountant who decided the grade.")
    reason = fields.Text(required=True, help="Why this grade: figures, events, sources.")
    review_date = fields.Date("Review By", help="When the grade must be looked at again.")
    is_current = fields.Boolean("Current", readonly=True, index=True,
                                help="The latest rating of the customer in its company.")
    review_due = fields.Boolean(compute="_compute_review_due", search="_search_review_due",
                                help="The current rating's review date has passed.")

    @api.depends("is_current", "review_date")
    @api.depends_context("date")
    def _compute_review_due(self):
        today = fields.Date.context_today(self)
        for rating in self:
            rating.review_due = bool(rating.is_current and rating.review_date and rating.review_date < today)

    def _search_review_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search credit reviews due with = or != and a yes/no value."))
        due = ["&", "&", ("is_current", "=", True), ("review_date", "!=", False),
               ("review_date", "<", fields.Date.context_today(self))]
        return due if (operator == "=") == value else ["!", *due]

    @api.constrains("date", "review_date")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for rating in self:
            if rating.date > today:
                raise ValidationError(self.env._("A credit rating cannot be dated in the future."))
            if rating.review_date and rating.review_date < rating.date:
                raise ValidationError(self.env._("The review date cannot come before the rating date."))

    @api.constrains("reason")
    def _check_reason(self):
        if any(not (rating.reason or "").strip() for rating in self):
            raise ValidationError(self.env._("Say why the customer gets this grade."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_credit_controller()
        for vals in vals_list:
            if vals.get(CURRENT_FIELD):
                raise AccessError(self.env._("Which rating is current follows from the dates; it cannot be set."))
            self._check_field_values(vals)  # before reading the customer a client sent
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            vals["partner_id"] = partner.commercial_partner_id.id or vals.get("partner_id")
            # The author is who records the rating, whatever the caller sends.
            vals["author_id"] = self.env.uid
        ratings = super().create(vals_list)
        ratings._refresh_current()
        ratings._log_on_customer()
        return ratings

    def write(self, vals):
        # History stays as it was written; the superuser path is _refresh_current's own.
        if not self.env.su:
            raise UserError(self.env._("A credit rating is never changed: record a new rating to correct it."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Credit ratings are kept as history and cannot be deleted."))

    def _check_credit_controller(self):
        if not self.env.su and not self.env.user.has_group(CREDIT_CONTROLLERS):
            raise AccessError(self.env._("Only credit controllers rate customers' credit."))

    def _refresh_current(self):
        """Mark, for each customer and company of these ratings, the latest one as current."""
        self.flush_model(["partner_id", "company_id", "date"])
        pairs = {(rating.partner_id.id, rating.company_id.id) for rating in self}
        for partner_id, company_id in pairs:
            self.env.cr.execute(SQL(
                """UPDATE crm_credit_rating rating
                      SET is_current = (rating.id = (SELECT latest.id FROM crm_credit_rating latest
                                                      WHERE latest.partner_id = %(partner)s
                                                        AND latest.company_id = %(company)s
                                                   ORDER BY latest.date DESC, latest.id DESC LIMIT 1))
                    WHERE rating.partner_id = %(partner)s AND rating.company_id = %(company)s""",
                partner=partner_id, company=company_id))
        self.invalidate_model([CURRENT_FIELD, "review_due"])
        self.env["res.partner"].invalidate_model(["credit_rating", "credit_review_date", "credit_review_due"])

    def _log_on_customer(self):
        """A note on the customer that its credit was rated, for everyone who follows it; the grade
        and the reasons stay with accounting (Accounting & Credit page)."""
        for rating in self:
            env = rating.partner_id._owner_env()
            review = format_date(env, rating.review_date) if rating.review_date else env._("no date")
            body = env._("Credit rated by %(author)s (%(company)s), next review by %(review)s.",
                         author=rating.author_id.name, company=rating.company_id.name, review=review)
            # sudo: the note records an accountant's decision on the customer, who may be
            # a partner the accountant cannot edit (chatter needs write access to post).
            rating.partner_id.sudo()._message_log(body=body)
