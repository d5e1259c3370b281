def clinic(request):
    """The active membership and the others a person can switch to (for the clinic switcher)."""
    membership = getattr(request, "membership", None)
    others = [m for m in getattr(request, "memberships", []) if m != membership]
    return {"membership": membership, "other_memberships": others}
