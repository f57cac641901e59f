"""Step 1 of the data's path: read input files, normalise their text, cut it into blocks.

No spaCy here: ``read`` turns paths into ``RawArticle`` records (or coded input errors),
``segment`` finds the article's blocks (headline, body paragraphs, boilerplate).
"""
