"""Kept so that plug-ins importing ``csv_response`` from here keep working: the one
download helper is :mod:`convergence.web.downloads`."""

from .downloads import FORMULA_STARTS, PREFIX, SafeWriter, csv_download, csv_response, neutralise, restore

__all__ = ["FORMULA_STARTS", "PREFIX", "SafeWriter", "csv_download", "csv_response", "neutralise", "restore"]
