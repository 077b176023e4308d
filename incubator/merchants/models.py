# Models of the merchants app.
