"""Search in Chinese: pages through Wagtail's search index, with Chinese text cut into
overlapping pairs of characters (`chinese`, `fields`, `backends`); the office's records (people,
applications, shops) by substring (`records`). What is searched and how: docs/search.md."""
