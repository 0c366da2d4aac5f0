"""Render: findings in every output format (formats/), comparison briefs (brief/) and tidy exports of the fact base."""
