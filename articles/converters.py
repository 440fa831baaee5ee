"""URL converters. Django's own ``slug`` converter rejects Arabic letters."""


class UnicodeSlugConverter:
    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
