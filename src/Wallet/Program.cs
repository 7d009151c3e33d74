// Placeholder: the Wallet entry point is built under its issue.
return 0;
