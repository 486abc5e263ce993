"""Open data: the fund's awarded grants as a 360Giving data package, and the public page."""
