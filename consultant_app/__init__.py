"""Consultant's offline record for the Industrial Innovation Movement (산업혁신운동)."""

__version__ = "0.1.0"
APP_NAME = "consultant-app"
APP_DISPLAY_NAME = "산업혁신운동 컨설턴트"
ORG_NAME = "IIM"
