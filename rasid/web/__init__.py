"""`rasid web`: a small built-in page for analysts without Kibana: search, threats, live alerts (RTL, no JS build)."""
