# en-import
