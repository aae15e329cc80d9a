"""Who viewed, downloaded or changed personal data, and when — never the data itself."""
