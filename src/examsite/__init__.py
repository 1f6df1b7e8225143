"""ExamSite (考点助手): offline assistant for a 1+X vocational-certificate exam site."""

__version__ = "0.1.0"
APP_NAME = "ExamSite"
APP_AUTHOR = "ExamSite"
