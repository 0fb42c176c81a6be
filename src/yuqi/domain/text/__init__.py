"""Yuqi's text pipeline for complaints and feedback (pure Python: no Django).

normalize   full/half width, traditional → simplified, whitespace, numbers, masking of
            phones, ID cards, bank cards and e-mails before any derived text is stored
segment     jieba with the service-centre user dictionary (themes; the format-1 classifier)
taxonomy    the expectation taxonomy (data) and its cold-start keyword/regex rules
features    character n-grams + Latin words of a batch, in NumPy (the classifier's features)
classifier  TF-IDF + calibrated linear SVM: train, predict, save/load, cross-validate
extract     wanted outcomes (with amounts), wanted time, quoted promise and target
times       time expressions (days, 三点半/九点一刻 clocks, durations) resolved to moments
signals     anger, threats (media/regulator/lawyer), repeat mentions, for escalation risk
themes      NMF themes of a period's texts, flagged when the taxonomy rules miss them
reasonable  the 合理投诉 filter: spam, near-duplicates, the handler's mark
analyse     all of the above for one complaint, in one call, masked first
"""
