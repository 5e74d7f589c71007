"""Pages that compose several apps, above them all: This week (the engine's nudges, the
records' quick-log, the advisors' recommendations) and the settings page (a section from every
app). Each app's own pages stay in its views; only a page that must see apps above its own
lives here, so no lower app imports a higher one. Routed from crm/urls.py."""
