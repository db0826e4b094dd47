print("[bold red]not bold[/bold red]")
print("\x1b[31mnot red\x1b[0m and \x1b]0;title\x07 osc")
