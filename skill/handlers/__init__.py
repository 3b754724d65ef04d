"""One handler class per intent, as in the Alexa skill samples."""
