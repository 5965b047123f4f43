"""The Flask web app: help-center pages, the guided wizard, the JSON API and the widget."""
