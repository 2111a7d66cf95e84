# sv-import
