"""The app's screens: home, start, run, summary, help and small dialogs."""
