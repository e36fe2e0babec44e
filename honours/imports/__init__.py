"""Bulk creation from Excel: nomination drafts (nominators) and accounts (secretariat), all or nothing."""
