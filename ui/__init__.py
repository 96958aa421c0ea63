"""The web app: Gradio chat, embeddable layout, feedback and the JSON API."""

import os

# Gradio reads this when it builds an app: no usage statistics, no look-ups of outside hosts.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
