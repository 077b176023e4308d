# Models of the courses app.
