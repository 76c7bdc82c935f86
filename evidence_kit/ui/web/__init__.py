"""The web browser: pages opened inside the app and captured with their exact address.

Qt WebEngine is imported only when the web browser first opens (:mod:`.engine`): it
adds about 0.3 s and 100 MB to a start-up that most sessions never need it for.
"""
