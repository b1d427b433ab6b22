"""The Echo Show screen: APL documents as package data, and a pure builder for their datasource."""
