"""The morning phone circle (telefooncirkel): residents who phone each other in a fixed order."""
