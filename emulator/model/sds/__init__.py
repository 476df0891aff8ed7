"""The slice of the Sequential Data Store a Change Broker client touches: types, streams, stream data."""
