"""One module per dashboard page: what it fetches from the domain and which template shows it."""
