"""The Alexa custom skill: handlers, interceptors, the web endpoint and APL documents."""
