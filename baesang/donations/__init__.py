"""Donors, pledges, donations received and donation receipts (기부금 영수증)."""
