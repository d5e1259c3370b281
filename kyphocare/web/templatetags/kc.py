from django import template

register = template.Library()


@register.filter
def words(value) -> str:
    """A stored key in words: 'not_indicated' → 'not indicated'."""
    if isinstance(value, (list, tuple)):
        return ", ".join(words(v) for v in value)
    return str(value).replace("_", " ")


@register.filter
def current_phase(plan_view, on):
    """The plan phase a date falls in (PlanView.current_phase)."""
    return plan_view.current_phase(on)


@register.filter
def day_number(plan_view, on) -> int:
    """Days since the procedure (the procedure day is day 0)."""
    return (on - plan_view.plan.procedure.performed_on).days
