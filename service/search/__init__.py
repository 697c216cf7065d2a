"""Search: German text analysis and the one scorer both databases' candidates meet."""
