"""The handover inbox: chats the bot handed to a person, and call-back requests."""
