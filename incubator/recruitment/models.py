# Models of the recruitment app.
