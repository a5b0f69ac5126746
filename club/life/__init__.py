"""Club life: what members do together and the pages around it, reading from every app below.

The feed, the leaderboards, the club, run and profile pages and the API over them, account
export and deletion, the live socket, club announcements, and the receivers of the events the
apps below announce (club.life.receivers). Nothing below imports from here (import-linter).
"""
