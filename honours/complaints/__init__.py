"""Complaints (khiếu nại) about a decision on a dossier, and their handling within the legal time limits."""
