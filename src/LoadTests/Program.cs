// Placeholder: the LoadTests entry point is built under its issue.
return 0;
