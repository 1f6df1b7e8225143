"""Reading and writing files: spreadsheets (the template registry, the sheet reader, the
workbook writer), photo sources (zips and folders) and the photo check. No database: the
use cases in ``services`` store what these read."""
