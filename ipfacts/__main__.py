from ipfacts.cli import main

main()
