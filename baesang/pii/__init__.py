"""Personal data protection (개인정보 보호법): encryption at rest, masking, access log."""
