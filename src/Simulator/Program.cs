// Placeholder: the Simulator entry point is built under its issue.
return 0;
