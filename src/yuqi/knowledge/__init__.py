"""Knowledge and scripts (知识库与口径): articles, Chinese search, suggestions, the help centre."""
