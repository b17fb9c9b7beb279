"""Live facilitation of an assembly: the speaking list of each agenda item in a fair order,
the speaking timer, the facilitator's console, the room display and the minutes."""
