"""Reading and writing files: spreadsheets (the template registry, the sheet reader, the
workbook writer), photo sources (zips and folders) and the photo check. No database: the
use cases in ``services`` store what these read."""

# The template registry first: it pulls in the variants' modules (registration_templates
# …), which build on its ``Column`` and ``TemplateDef``; imported in this order whichever
# module a caller names first.
from examsite.formats import templates as templates
