"""Kibana: Rasid's saved objects (data views, searches, Lens charts, a dashboard) and their import."""
