"""Talent referrals (tiến cử người tài): referrals, screening, the talent pool, needs and matching."""
