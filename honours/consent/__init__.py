"""The nominee's own consent, per purpose (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): asked by email with a signed
single-use link or on paper, recorded choice by choice, withdrawable; later stages ask consent.services."""
